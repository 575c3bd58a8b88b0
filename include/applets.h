/* Every applet, alphabetically: APPLET(name) -> int name_main(struct nsb *, int, char **) */
APPLET(natdnat)
APPLET(natmasq)
APPLET(nsadd)
APPLET(nsdel)
APPLET(nsexec)
APPLET(nslist)
