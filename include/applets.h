/* Every applet, alphabetically: APPLET(name) -> int name_main(struct nsb *, int, char **) */
APPLET(nsadd)
APPLET(nsdel)
APPLET(nsexec)
APPLET(nslist)
APPLET(pingtest)
