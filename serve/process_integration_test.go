//go:build integration

package serve

import (
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// proc is a process a test started; Cleanup stops it.
type proc struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
}

// startProc runs name with args; the process ends with the test at the latest.
func startProc(t *testing.T, env []string, name string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(name, args...), out: &syncBuffer{}, done: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("output of %s:\n%s", name, p.out.String())
		}
	})
	return p
}

func (p *proc) signal(sig os.Signal) {
	select {
	case <-p.done:
	default:
		p.cmd.Process.Signal(sig)
	}
}

// wait returns the exit code once the process ends; the test's timeout bounds the wait.
func (p *proc) wait() int {
	<-p.done
	return p.cmd.ProcessState.ExitCode()
}

// licensedesk starts this test binary as `licensedesk` with args.
func licensedesk(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return startProc(t, append(env, processEnv+"=1", "LANG=C.UTF-8"), bin, args...)
}

var listening = regexp.MustCompile(`msg="Listening on" address=(\S+)`)

// serveURL waits for serve to say where it listens.
func serveURL(t *testing.T, p *proc) string {
	t.Helper()
	var addr string
	eventually(t, "serve to listen", func() bool {
		if m := listening.FindStringSubmatch(p.out.String()); m != nil {
			addr = m[1]
			return true
		}
		select {
		case <-p.done:
			t.Fatalf("serve exited %d before it listened:\n%s", p.cmd.ProcessState.ExitCode(), p.out.String())
		default:
		}
		return false
	})
	return "http://" + addr
}

// freePort finds a loopback port for a program that cannot be told to pick its own.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func getBody(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestProcessStopsOnSIGTERMWhileAReadHangs(t *testing.T) {
	f := newFleet(t)
	f.add("hung", "Hung", grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultHang}))
	f.list[0].PasswordEnv = "LICENSEDESK_HUNG_PASSWORD"
	f.save()
	p := licensedesk(t, []string{"LICENSEDESK_HUNG_PASSWORD=admin"}, "--config", f.config, "serve", "--listen", "127.0.0.1:0")
	serveURL(t, p)
	eventually(t, "the read to start", func() bool { return f.servers["hung"].InFlight() > 0 })
	p.signal(syscall.SIGTERM)
	if code := p.wait(); code != 0 {
		t.Errorf("serve exited %d on SIGTERM, want 0:\n%s", code, p.out.String())
	}
	if strings.Contains(p.out.String(), "panic") {
		t.Errorf("serve panicked on the way out:\n%s", p.out.String())
	}
}

func TestProcessReloadsOnSIGHUP(t *testing.T) {
	f := newFleet(t)
	f.add("first", "First")
	f.list[0].PasswordEnv = "LICENSEDESK_FIRST_PASSWORD"
	f.save()
	p := licensedesk(t, []string{"LICENSEDESK_FIRST_PASSWORD=admin"}, "--config", f.config, "serve", "--listen", "127.0.0.1:0")
	url := serveURL(t, p)
	reloadedAt := func() float64 {
		_, body := getBody(t, url+"/metrics")
		v, _ := sample(parseMetrics(t, []byte(body)), "licensedesk_config_last_reload_success_timestamp_seconds", "")
		return v
	}
	var start float64
	eventually(t, "the metrics", func() bool { start = reloadedAt(); return start > 0 })
	p.signal(syscall.SIGHUP)
	eventually(t, "SIGHUP to reload the unchanged file", func() bool { return reloadedAt() > start })
	if code, _ := getBody(t, url+"/healthz"); code != http.StatusOK {
		t.Errorf("serve is not alive after SIGHUP (%d)", code)
	}
}
