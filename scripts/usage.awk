# Turn the comment that opens each applets/NAME.c into NAME_usage, the text
# `NAME --help` prints, so the help lives in one place.
FNR == 1 {
	if (name != "") print ""
	name = FILENAME; sub(/.*\//, "", name); sub(/\.c$/, "", name)
	printf "#define %s_usage \\\n", name
	inc = 1
}
inc {
	line = $0
	done = (line ~ /\*\//)
	sub(/^\/\* ?/, "", line); sub(/^ \*\/.*$/, "", line); sub(/^ \* ?/, "", line); sub(/ *\*\/.*$/, "", line)
	gsub(/\\/, "\\\\", line); gsub(/"/, "\\\"", line)
	if (!(done && line == "")) printf "\t\"%s\\n\" \\\n", line
	if (done) { print "\t\"\""; inc = 0 }
}
