package cli

import (
	"os"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair: what the user types goes into
// master, the program reads the terminal.
func openPTY(t *testing.T) (master, term *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	// Through SyscallConn, not Fd, which would make master blocking and
	// its read deadlines useless.
	conn, err := master.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	var ioErr error
	conn.Control(func(fd uintptr) {
		if ioErr = unix.IoctlSetPointerInt(int(fd), unix.TIOCSPTLCK, 0); ioErr == nil {
			n, ioErr = unix.IoctlGetInt(int(fd), unix.TIOCGPTN)
		}
	})
	if ioErr != nil {
		t.Fatal(ioErr)
	}
	term, err = os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { term.Close() })
	return master, term
}

// echoed returns what the terminal showed back to the typist.
func echoed(master *os.File) string {
	master.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	buf := make([]byte, 256)
	n, _ := master.Read(buf)
	return string(buf[:max(n, 0)])
}

func TestSecretTypedOnATerminalIsNotEchoed(t *testing.T) {
	master, term := openPTY(t)
	if !isTerminal(term) {
		t.Fatal("a pseudo-terminal is not recognised as a terminal")
	}

	got := make(chan string, 1)
	go func() {
		s, err := readHidden(term)
		if err != nil {
			t.Error(err)
		}
		got <- s
	}()
	giveUp := time.Now().Add(30 * time.Second)
	for { // type only once the echo is off, as a person would after the prompt
		if time.Now().After(giveUp) {
			t.Fatal("the terminal's echo was never turned off")
		}
		tio, err := unix.IoctlGetTermios(int(term.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		if tio.Lflag&unix.ECHO == 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	master.WriteString("s3cret pass\n")
	if s := <-got; s != "s3cret pass" {
		t.Errorf("read %q, want the typed line", s)
	}
	if out := echoed(master); out != "" {
		t.Errorf("the terminal echoed %q", out)
	}
	tio, _ := unix.IoctlGetTermios(int(term.Fd()), unix.TCGETS)
	if tio.Lflag&unix.ECHO == 0 {
		t.Error("the echo stayed off after the secret was read")
	}
	master.WriteString("visible\n")
	if out := echoed(master); out == "" {
		t.Error("control: a normal terminal should echo what is typed")
	}
}

func TestPipesAndDevNullAreNotTerminals(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if isTerminal(r) || isTerminal(null) {
		t.Error("a pipe or /dev/null was taken for a terminal, so delete would ask instead of refusing")
	}
}
