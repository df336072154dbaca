#!/bin/bash
# Checks the bash completion of tunctl against tunctl's own help:
#   check_completion.sh COMPLETION_FILE TUNCTL_BINARY_DIR
# The commands offered are those "tunctl help" lists; for each form of each
# command's usage ("tunctl help COMMAND"), its subcommands and choices are
# offered where they go, and its options where options go (and no others
# but --help); option values are completed as files, flags or not at all.
# Where the completion asks the daemon (peers' node IDs, blocked entries),
# a stand-in for tunctl answers or fails: no daemon is needed, and a
# running one is never asked. Exits 1 on the first mismatch in each case,
# after checking all.
set -u

if (($# != 2)); then
	echo "usage: $0 COMPLETION_FILE TUNCTL_BINARY_DIR" >&2
	exit 2
fi
completion=$1
tunctl=$2/tunctl
[[ -x $tunctl ]] || { echo "$0: no tunctl in $2" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# Stand-ins for tunctl where the completion asks the daemon: one that finds
# no daemon, and one that answers as a daemon with three peers would.
printf '#!/bin/sh\necho "tunctl: vpnd is not running" >&2\nexit 1\n' >"$work/no-daemon"
cat >"$work/daemon" <<'EOF'
#!/bin/sh
case "$*" in
*"peers --json")
	printf '{\n  "ok":true,\n  "peers":[\n    {\n      "node_id":"10.26.0.2",\n'
	printf '      "relay":"10.26.0.254"\n    },\n    {\n      "node_id":"10.26.0.254",\n'
	printf '      "relay":""\n    },\n    {\n      "node_id":"10.26.0.17"\n    }\n  ]\n}\n'
	;;
*"blocks --json")
	printf '{\n  "ok":true,\n  "blocks":[\n    {\n      "entry":"10.26.0.9",\n'
	printf '      "kind":"node"\n    },\n    {\n      "entry":"k2PZoZbs9qjCub3s0lQxxcwFhpm+T1OhTTy2vWqxEkY=",\n'
	printf '      "kind":"key"\n    }\n  ]\n}\n'
	;;
*) exit 1 ;;
esac
EOF
chmod +x "$work/no-daemon" "$work/daemon"

# shellcheck source=/dev/null
source "$completion" || { echo "$0: cannot source $completion" >&2; exit 1; }
if [[ $(complete -p tunctl 2>/dev/null) != "complete -F _tunctl tunctl" ]]; then
	echo "FAIL: $completion does not register _tunctl for tunctl" >&2
	exit 1
fi

# The completion of the last of WORDS (after "tunctl"), sorted, on one line.
# The completion runs as bash runs it: $1 is the command, which it asks.
offered_by()
{
	local asked=$1

	shift
	COMP_WORDS=(tunctl "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_tunctl "$asked" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" \
		2>>"$work/stderr"
	printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort -u | tr '\n' ' ' | sed 's/ $//'
}

offered()
{
	offered_by "$work/no-daemon" "$@"
}

sorted()
{
	local -a words

	read -r -a words <<<"$1"
	printf '%s\n' "${words[@]}" | sed '/^$/d' | sort -u | tr '\n' ' ' | sed 's/ $//'
}

fail()
{
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# expect "EXPECTED WORDS" WORDS...: exactly these are offered.
expect()
{
	local want got

	want=$(sorted "$1")
	shift
	got=$(offered "$@")
	[[ $got == "$want" ]] || fail "tunctl $* <TAB>: offered '$got', expected '$want'"
}

# expect_options "OPTIONS" WORDS...: these, and no others but --help.
expect_options()
{
	local want=$1 got option

	shift
	got=$(offered "$@")
	for option in $want; do
		[[ " $got " == *" $option "* ]] ||
			fail "tunctl $* <TAB>: '$option' not offered (offered '$got')"
	done
	for option in $got; do
		[[ " $want --help " == *" $option "* ]] ||
			fail "tunctl $* <TAB>: '$option' offered, but not in the usage ('$want')"
	done
}

# The forms of a command's usage, one a line, without "tunctl ": folded
# lines joined.
forms_of()
{
	"$tunctl" help "$1" | awk '
		/^$/ { exit }
		{ sub(/^usage:/, "") }
		/^ *tunctl / { if (form != "") print form; sub(/^ *tunctl /, ""); form = $0; next }
		{ sub(/^ +/, ""); form = form " " $0 }
		END { if (form != "") print form }'
}

# One form: its choices where they go, its options where options go.
check_form()
{
	local -a tokens given=()
	local token options="" i

	read -r -a tokens <<<"$1"
	for token in "${tokens[@]}"; do
		[[ $token =~ ^\[?(--?[A-Za-z][A-Za-z-]*)\]?$ ]] && options+=" ${BASH_REMATCH[1]}"
	done
	for ((i = 0; i < ${#tokens[@]}; i++)); do
		token=${tokens[i]}
		if ((i == 0)) || [[ $token =~ ^[a-z]+$ ]]; then
			given+=("$token") # the command and its subcommand
		elif [[ $token =~ ^[A-Z][A-Z_|]*$ ]]; then
			given+=(X) # a value: any will do
		elif [[ $token =~ ^[a-z]+(\|[a-z]+)+$ ]]; then
			expect "${token//|/ }" "${given[@]}" ""
			given+=("${token%%|*}")
		else
			break
		fi
	done
	expect_options "$options" "${given[@]}" -
}

mapfile -t commands < <("$tunctl" help | awk '/^commands:/ { on = 1; next }
	on && /^  [a-z]/ { print $1 } on && /^$/ { exit }')
if ((${#commands[@]} < 10)); then
	echo "FAIL: '$tunctl help' lists ${#commands[@]} commands" >&2
	exit 1
fi

# The commands, and the options before them.
expect "${commands[*]}" ""
expect "${commands[*]}" help ""
expect "${commands[*]}" -i vpn0 ""
expect_options "$("$tunctl" help | sed -n 's/^ *\(usage: \)\{0,1\}tunctl //p' |
	grep -o -- '-[-a-z]*' | tr '\n' ' ')" -
expect "" --version ""

# Each command's subcommands, choices and options, from its usage.
declare -A subcommands
for command in "${commands[@]}"; do
	mapfile -t forms < <(forms_of "$command")
	((${#forms[@]} > 0)) || fail "tunctl help $command prints no usage"
	for form in "${forms[@]}"; do
		read -r -a tokens <<<"$form"
		[[ ${tokens[1]:-} =~ ^[a-z]+$ ]] && subcommands[$command]+=" ${tokens[1]}"
		check_form "$form"
	done
	[[ -n ${subcommands[$command]:-} ]] && expect "${subcommands[$command]}" "$command" ""
done

# Option values: files, flags, or nothing to offer.
cd "$work" || exit 1
touch some.file
for words in "-s so" "cert sign -N so" "cert sign -r so" "cert show -N so" "cert show so" \
	"network init N 10.26.0.0/24 -o so" "network export so" "network token so" \
	"network token F -c so"; do
	read -r -a split <<<"$words"
	expect "some.file" "${split[@]}"
done
for words in "ping X -c " "network token F -e " "network token F -d " "cert sign -n " \
	"cert sign -k " "network init " "cert sign -d "; do
	read -r -a split <<<"$words"
	expect "" "${split[@]}" ""
done
expect "relay rendezvous" cert sign -f ""
expect "relay,rendezvous" cert sign -f relay,

# Peers and blocked entries from the daemon: with no daemon, nothing.
for words in "ping" "paths" "pin" "block" "unblock" "pin X via"; do
	read -r -a split <<<"$words"
	expect "" "${split[@]}" ""
	got=$(offered_by "$work/daemon" "${split[@]}" "")
	want="10.26.0.17 10.26.0.2 10.26.0.254"
	[[ $words == unblock ]] && want="10.26.0.9 k2PZoZbs9qjCub3s0lQxxcwFhpm+T1OhTTy2vWqxEkY="
	[[ $got == "$want" ]] || fail "tunctl $words <TAB> with a daemon: offered '$got', expected '$want'"
done
got=$(offered_by "$work/daemon" -i vpn0 pin 10.26.0.1)
[[ $got == 10.26.0.17 ]] || fail "tunctl -i vpn0 pin 10.26.0.1<TAB>: offered '$got'"

if [[ -s $work/stderr ]]; then
	fail "the completion wrote to stderr:"
	cat "$work/stderr" >&2
fi
if ((failures)); then
	echo "$failures completion checks failed" >&2
	exit 1
fi
echo "completion: ${#commands[@]} commands, their usage forms and option values: all offered"
