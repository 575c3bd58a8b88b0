// A minimal CNI runtime on libcni (the library containerd, CRI-O and podman
// use), for tests: runtime add|check|del CONFLIST ID NETNS IFNAME [PORTMAPS]
// with the plugin directory in CNI_PATH and libcni's cache in CNI_CACHE.
// PORTMAPS is the JSON array a runtime passes as the portMappings capability,
// or a JSON object: every capability argument, e.g. {"ips":["10.1.2.3/24"]}.
// The result (add) is printed as JSON; errors go to stderr, exit 1.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/containernetworking/cni/libcni"
)

func main() {
	if len(os.Args) < 6 {
		fmt.Fprintln(os.Stderr, "usage: runtime add|check|del CONFLIST ID NETNS IFNAME [PORTMAPS]")
		os.Exit(2)
	}
	list, err := libcni.ConfListFromFile(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rt := &libcni.RuntimeConf{
		ContainerID: os.Args[3],
		NetNS:       os.Args[4],
		IfName:      os.Args[5],
		CacheDir:    os.Getenv("CNI_CACHE"),
	}
	if len(os.Args) > 6 {
		var pm []map[string]interface{}
		caps := map[string]interface{}{}
		err := json.Unmarshal([]byte(os.Args[6]), &caps)
		if err != nil {
			err = json.Unmarshal([]byte(os.Args[6]), &pm)
			caps = map[string]interface{}{"portMappings": pm}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		rt.CapabilityArgs = caps
	}
	cni := libcni.NewCNIConfig(filepath.SplitList(os.Getenv("CNI_PATH")), nil)
	ctx := context.Background()
	switch os.Args[1] {
	case "add":
		res, err := cni.AddNetworkList(ctx, list, rt)
		if err == nil {
			err = res.Print()
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	case "check":
		err = cni.CheckNetworkList(ctx, list, rt)
	case "del":
		err = cni.DelNetworkList(ctx, list, rt)
	default:
		err = fmt.Errorf("unknown command %s", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
