# The kernel image's own header: is the file as long as the header says it must be?
# A truncated bzImage is present and non-empty, and GRUB stops on it ("premature end of
# file"): only the boot protocol header tells (Documentation/arch/x86/boot.rst).

# emit_kimage NAME PATH: `size N`, then for an x86 bzImage `format bzImage`, `setup S`
# (setup_sects at 0x1f1, 0 meaning 4) and `syssize P` (0x1f4: 16-byte paragraphs of
# protected-mode code); otherwise `format unknown` (an arm64 Image's header gives its
# size in memory, not in the file: nothing to compare). Needs od and wc; the file is opened through the resolver.
emit_kimage() {
	_begin "$1"
	_kst=ok
	if ! open_file "$2"; then
		_kst=$_ST
	elif ! command -v od >/dev/null 2>&1; then
		_kst=nocmd
	else
		_ksz=$(wc -c <"$_P" 2>/dev/null)
		printf 'size %s\n' "${_ksz:-?}"
		_BE=0
		# shellcheck disable=SC2046 # _bytes prints decimal numbers: split on purpose
		_load s $(_bytes "$_P" 497 12) # 0x1f1 .. 0x1fc
		# shellcheck disable=SC2046 # decimal numbers, as above
		_load m $(_bytes "$_P" 514 4) # 0x202: "HdrS"
		if [ "${m0:-}" = 72 ] && [ "${m1:-}" = 100 ] && [ "${m2:-}" = 114 ] && [ "${m3:-}" = 83 ]; then
			printf 'format bzImage\n'
			printf 'setup %s\n' "${s0:-0}"
			_num s 3 4 # syssize at 0x1f4 = 0x1f1 + 3
			printf 'syssize %s\n' "$_N"
		else
			printf 'format unknown\n'
		fi
	fi
	_end 0 "$_kst" "$1"
}
