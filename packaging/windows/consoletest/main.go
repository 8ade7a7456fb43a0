//go:build linux

// Command consoletest types into an interactive Wine cmd.exe, as a person at
// a Windows console would, for packaging/windows/test.sh: it runs `wine cmd`
// on a pseudo-terminal (Wine then gives cmd a console on that terminal) and
// follows its steps in order:
//
//	send:TEXT   types TEXT and Enter
//	wait:REGEX  reads until REGEX matches what came after the last match
//
// It prints what the console showed, its terminal escapes removed, and exits
// 1 if a wait ran out (-wait, default 2m) or 2 on a usage or terminal error.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

func main() {
	limit := flag.Duration("wait", 2*time.Minute, "how long one wait may take before the run fails")
	flag.Parse()
	os.Exit(run(flag.Args(), *limit))
}

func run(steps []string, limit time.Duration) int {
	ptm, pts, err := openPTY()
	if err != nil {
		fmt.Fprintln(os.Stderr, "consoletest:", err)
		return 2
	}
	cmd := exec.Command("wine", "cmd")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = pts, pts, pts
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "consoletest:", err)
		return 2
	}
	_ = pts.Close()
	s := newScreen(ptm)
	code := 0
	for _, step := range steps {
		kind, arg, _ := strings.Cut(step, ":")
		switch kind {
		case "send":
			_, err = ptm.WriteString(arg + "\r")
		case "wait":
			var re *regexp.Regexp
			if re, err = regexp.Compile(arg); err == nil && !s.wait(re, limit) {
				fmt.Fprintf(os.Stderr, "consoletest: %q did not show within %v\n", arg, limit)
				code = 1
			}
		default:
			err = fmt.Errorf("unknown step %q (send:TEXT or wait:REGEX)", step)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "consoletest:", err)
			code = 2
		}
		if code != 0 {
			break
		}
	}
	_, _ = ptm.WriteString("exit\r")
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(limit):
		_ = cmd.Process.Kill()
	}
	fmt.Print(s.text())
	return code
}

// openPTY opens a pseudo-terminal pair, the terminal side raw (Enter arrives
// as the CR a terminal sends) and wide enough that no line wraps.
func openPTY() (ptm, pts *os.File, err error) {
	ptm, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	fd := int(ptm.Fd())
	if err = unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		return nil, nil, err
	}
	n, err := unix.IoctlGetUint32(fd, unix.TIOCGPTN)
	if err != nil {
		return nil, nil, err
	}
	if pts, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0); err != nil {
		return nil, nil, err
	}
	t, err := unix.IoctlGetTermios(int(pts.Fd()), unix.TCGETS)
	if err != nil {
		return nil, nil, err
	}
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	t.Oflag &^= unix.OPOST
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB
	t.Cflag |= unix.CS8
	t.Cc[unix.VMIN], t.Cc[unix.VTIME] = 1, 0
	if err = unix.IoctlSetTermios(int(pts.Fd()), unix.TCSETS, t); err != nil {
		return nil, nil, err
	}
	err = unix.IoctlSetWinsize(int(pts.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 50, Col: 250})
	return ptm, pts, err
}

// escapes are the terminal control sequences Wine's console draws with.
var escapes = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r`)

// screen collects what the console shows.
type screen struct {
	mu      sync.Mutex
	changed *sync.Cond
	raw     []byte
	closed  bool
	from    int // where the next wait starts looking, in text()
}

func newScreen(ptm *os.File) *screen {
	s := &screen{}
	s.changed = sync.NewCond(&s.mu)
	go func() {
		b := make([]byte, 4096)
		for {
			n, err := ptm.Read(b)
			s.mu.Lock()
			s.raw = append(s.raw, b[:n]...)
			s.closed = s.closed || err != nil
			s.changed.Broadcast()
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return s
}

func (s *screen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return escapes.ReplaceAllString(string(s.raw), "")
}

// wait reports whether re matched, after the previous match, within limit.
func (s *screen) wait(re *regexp.Regexp, limit time.Duration) bool {
	expired := false
	timer := time.AfterFunc(limit, func() {
		s.mu.Lock()
		expired = true
		s.changed.Broadcast()
		s.mu.Unlock()
	})
	defer timer.Stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		text := escapes.ReplaceAllString(string(s.raw), "")
		if m := re.FindStringIndex(text[s.from:]); m != nil {
			s.from += m[1]
			return true
		}
		if s.closed || expired {
			return false
		}
		s.changed.Wait()
	}
}
