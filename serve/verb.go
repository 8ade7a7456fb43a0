package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/licensedesk/licensedesk/app/cli"
)

const synopsis = "licensedesk serve [--listen ADDR] [--interval D] [--web.config.file FILE] [--no-usage] [--concurrency N] [--timeout D] [--license-warn-days N] [--token-warn-days N]"

// Exit codes of serve.
const (
	exitOK     = 0
	exitFailed = 1 // could not start, or the listener failed
)

// minInterval keeps a typo such as --interval 5s from hammering every
// Grafana of the fleet.
const minInterval = time.Second

// Verb is `licensedesk serve`: it runs until SIGTERM or Ctrl-C and reloads
// the instance file on SIGHUP.
func Verb(cmd *cli.Command, args []string) int {
	fs, engine := cmd.Flags("serve")
	listen := fs.String("listen", DefaultListen, "serve on this `address`; a host other than loopback is reachable from the network")
	interval := fs.Duration("interval", DefaultInterval, "time between two checks of every instance, give or take 10 %")
	webConfig := fs.String("web.config.file", "", "exporter-toolkit web configuration `file` for TLS and basic auth")
	if code, ok := cmd.Parse(fs, args, synopsis, engine); !ok {
		return code
	}
	if *interval < minInterval {
		return cmd.UsageError(fs, synopsis, fmt.Errorf("--interval must be at least %v", minInterval))
	}
	svc, code := cmd.Service(*engine)
	if svc == nil {
		return code
	}
	if len(svc.Instances()) == 0 {
		cmd.Errorf("no instances are configured (config: %s); serving empty results until the file lists some", cmd.StorePath())
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		cmd.Errorf("cannot listen on %s: %v", *listen, err)
		return exitFailed
	}
	logger := newLogger(cmd.Stderr())
	e := New(svc, Options{
		Interval:      *interval,
		StorePath:     cmd.StorePath(),
		WebConfigFile: *webConfig,
		Logger:        logger,
	})

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				e.Reload(ctx) // a refusal is logged where it happens
			}
		}
	}()
	if err := e.Run(ctx, ln); err != nil && !errors.Is(err, context.Canceled) {
		cmd.Errorf("%v", err)
		return exitFailed
	}
	return exitOK
}

// newLogger writes the service log as key=value lines, which journald and
// log shippers read as they are.
func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, nil))
}
