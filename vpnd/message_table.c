/*
 * The control messages a node takes inside a session: one row each, with
 * the standing its sender must have (core/dispatch.h) and the module that
 * handles it. A sender without the standing is refused and counted under
 * the drop reason of its row (the reason each handler counted before the
 * table; ENROLL_REPLY, silently ignored before, now counts as malformed, and
 * certificates from plain WireGuard peers are refused).
 */
#include "core/certificate.h"
#include "core/dispatch.h"
#include "core/probe.h"
#include "core/relay.h"
#include "members/directory.h"
#include "members/enroll.h"
#include "members/rendezvous.h"
#include "messages.h"
#include "route/links.h"
#include "route/measure.h"

const struct control_handler control_handlers[] = {
    {CONTROL_CERTIFICATE, "certificate", STANDING_VPND_PEER, DROP_BAD_CERT, certificate_receive},
    {CONTROL_CERTIFICATE_ACK, "certificate_ack", STANDING_VPND_PEER, DROP_MALFORMED,
     certificate_receive_ack},
    {CONTROL_REGISTER, "register", STANDING_MEMBER, DROP_MALFORMED, rendezvous_receive_register},
    {CONTROL_PEER_INFO, "peer_info", STANDING_OUR_RENDEZVOUS, DROP_MALFORMED,
     directory_receive_peer_info},
    {CONTROL_RELAY, "relay", STANDING_MEMBER, DROP_RELAY, relay_receive},
    {CONTROL_PROBE, "probe", STANDING_SESSION, DROP_MALFORMED, probe_receive},
    {CONTROL_PONG, "pong", STANDING_SESSION, DROP_MALFORMED, measure_receive_pong},
    {CONTROL_LINKS, "links", STANDING_RELAY, DROP_RELAY, links_receive},
    {CONTROL_ENROLL_REQUEST, "enroll_request", STANDING_SESSION, DROP_MALFORMED, enroll_serve},
    {CONTROL_ENROLL_REPLY, "enroll_reply", STANDING_OUR_CONTROLLER, DROP_MALFORMED,
     enroll_receive_reply},
};

const size_t control_handler_count = sizeof(control_handlers) / sizeof(control_handlers[0]);
