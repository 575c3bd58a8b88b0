# Turn the comment that opens each applets/NAME.c into NAME_usage, the text
# `NAME --help` prints, so the help lives in one place; and, with
# -v list=FILE, write there the list of applets cli/main.c dispatches to:
# adding an applet is adding applets/NAME.c.
BEGIN {
	if (list != "")
		print "/* Every applet, alphabetically: APPLET(name) -> int name_main(struct nsb *, int, char **)\n * (made by scripts/usage.awk from the files in applets/) */" > list
}
FNR == 1 {
	if (name != "") print ""
	name = FILENAME; sub(/.*\//, "", name); sub(/\.c$/, "", name)
	printf "#define %s_usage \\\n", name
	if (list != "")
		print "APPLET(" name ")" > list
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
