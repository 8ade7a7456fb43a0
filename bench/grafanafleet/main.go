// Command grafanafleet runs emulated Grafana Enterprise instances
// (client/grafanatest, on loopback) in a process of their own and writes an
// instances.json for Licensedesk to watch them, so bench/memory.sh measures
// Licensedesk without the emulators in its own memory, and
// packaging/windows/test.sh runs the installed Windows program against them.
//
//	grafanafleet -n 9 -config DIR/instances.json
//
// It prints "ready" once every server listens and runs until it is
// signalled. The instances sign in as admin with the password in
// $LICENSEDESK_FLEET_PASSWORD (grafanatest's "admin").
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// PasswordEnv names the variable Licensedesk reads the fleet's password from.
const PasswordEnv = "LICENSEDESK_FLEET_PASSWORD"

type instance struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	URL         string `json:"url"`
	Auth        string `json:"auth"`
	Username    string `json:"username"`
	PasswordEnv string `json:"password_env"`
}

type store struct {
	Version   int        `json:"version"`
	Instances []instance `json:"instances"`
}

func main() {
	n := flag.Int("n", 9, "how many instances to run")
	path := flag.String("config", "instances.json", "where to write the instance list")
	flag.Parse()
	if err := run(*n, *path); err != nil {
		fmt.Fprintln(os.Stderr, "grafanafleet:", err)
		os.Exit(1)
	}
}

func run(n int, path string) error {
	if n < 1 || n > 5000 {
		return fmt.Errorf("-n must be from 1 to 5000, not %d", n)
	}
	now := time.Now()
	s := store{Version: 1}
	for i := range n {
		claims := grafanatest.DefaultClaims(now)
		// Every third license ends within its warn period, as a real fleet's would.
		if i%3 == 2 {
			claims.LicenseExpiry = now.AddDate(0, 0, 10+i%20)
		}
		srv, err := grafanatest.Start(grafanatest.WithClaims(claims))
		if err != nil {
			return err
		}
		defer srv.Close()
		id := fmt.Sprintf("fleet-%03d", i+1)
		s.Instances = append(s.Instances, instance{ID: id, Name: fmt.Sprintf("Fleet %03d", i+1), URL: srv.URL + "/",
			Auth: "basic", Username: "admin", PasswordEnv: PasswordEnv})
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o600); err != nil {
		return err
	}
	fmt.Println("ready")

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	return nil
}
