package hcnsim_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

// Serve one emulated host on a Unix socket and use it through the hcn
// Client from a Conn, as another process would.
func ExampleServe() {
	dir, _ := os.MkdirTemp("", "hcs")
	defer os.RemoveAll(dir)
	addr := "unix:" + filepath.Join(dir, "hcnsim.sock")

	l, err := hcnsim.Listen("", addr)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	served := make(chan error, 1)
	go func() { served <- hcnsim.Serve(ctx, l, hcnsim.New(nil), nil) }()

	conn, err := hcnsim.Dial(ctx, addr, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	client, _ := hcn.NewClient(&hcn.ClientOptions{Service: conn})
	_, err = client.GetNetwork(ctx, hcn.NewGUID().ID())
	fmt.Println("not found:", hcn.IsNotFound(err))

	conn.Disconnect() // the server releases the connection's handles
	stop()
	fmt.Println("served:", <-served)
	// Output:
	// not found: true
	// served: <nil>
}
