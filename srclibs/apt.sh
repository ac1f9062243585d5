# A private apt, sourced by srclibs/build.sh and static/build.sh: the same
# archive and release as this machine's own apt, with its own lists and
# cache under a folder of the build, so the machine's apt sources, lists
# and architectures are left alone. Its settings go in a file of its own
# (APT_CONFIG), where a path with spaces in it is one quoted string.
# apt checks every index against the release's signature and every
# downloaded file against the index.

suite=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
suite=${suite:-bookworm}

# The archive this machine's own apt uses for the release (a local mirror
# or a proxy's address included), else Debian's.
system_mirror() {
	{
		# deb822 .sources: URIs and Suites of each stanza.
		cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
		    awk -v s="$suite" '/^URIs:/ { u = $2 } /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s) print u }'
		# one-line sources.list: deb [options] URI SUITE ...
		cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		    awk -v s="$suite" '$1 == "deb" { sub(/\[[^]]*\] */, ""); if ($3 == s) print $2 }'
	} | grep -v security | head -n 1
}
mirror=${FERRY_DEBIAN_MIRROR:-$(system_mirror)}
mirror=${mirror:-http://deb.debian.org/debian}

# private_apt DIR TYPE ARCH: an apt in DIR reading TYPE (deb or deb-src)
# entries, for ARCH ("" for the machine's own); its indexes are fetched
# once. Exports APT_CONFIG.
private_apt() {
	_dir=$1 _type=$2 _arch=$3
	mkdir -p "$_dir/lists/partial" "$_dir/cache/archives/partial" "$_dir/parts.d"
	printf '%s %s %s main\n%s %s %s-updates main\n' \
	    "$_type" "$mirror" "$suite" "$_type" "$mirror" "$suite" >"$_dir/sources.list"
	{
		echo "Dir::Etc::SourceList \"$_dir/sources.list\";"
		echo "Dir::Etc::SourceParts \"$_dir/parts.d\";"
		echo "Dir::State::Lists \"$_dir/lists\";"
		echo "Dir::State::status \"$_dir/status\";"
		echo "Dir::Cache \"$_dir/cache\";"
		echo "APT::Sandbox::User \"root\";"
		echo "Debug::NoLocking \"1\";"
		if [ -n "$_arch" ]; then
			echo "APT::Architecture \"$_arch\";"
			echo "APT::Architectures { \"$_arch\"; };"
		fi
	} >"$_dir/apt.conf"
	: >>"$_dir/status"
	APT_CONFIG="$_dir/apt.conf"
	export APT_CONFIG
	[ -f "$_dir/updated" ] && return 0
	apt-get -q update >&2 || {
		echo "cannot read Debian's index from $mirror" >&2
		exit 1
	}
	touch "$_dir/updated"
}
