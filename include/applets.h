/* Every applet, alphabetically: APPLET(name) -> int name_main(struct nsb *, int, char **) */
APPLET(bradd)
APPLET(iplink)
APPLET(nsadd)
APPLET(nsdel)
APPLET(nsexec)
APPLET(nslist)
APPLET(vethadd)
