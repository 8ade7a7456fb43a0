package serve

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// writeWebConfig writes an exporter-toolkit web configuration with a
// self-signed certificate for 127.0.0.1 and the basic-auth user prom, and
// returns its path and a client that trusts the certificate.
func writeWebConfig(t *testing.T, password string) (string, *http.Client) {
	t.Helper()
	dir := t.TempDir()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "licensedesk serve test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "web.yml")
	yml := "tls_server_config:\n  cert_file: " + certFile + "\n  key_file: " + keyFile +
		"\nbasic_auth_users:\n  prom: " + string(hash) + "\n"
	if err := os.WriteFile(config, []byte(yml), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return config, &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

func TestWebConfigTurnsOnTLSAndBasicAuth(t *testing.T) {
	f := newFleet(t)
	f.add("healthy", "Healthy")
	f.save()
	config, client := writeWebConfig(t, "scrape-secret")
	r := f.start(Options{Interval: time.Hour, WebConfigFile: config})
	httpsURL := strings.Replace(r.url, "http://", "https://", 1) + "/metrics"

	get := func(user, password string) int {
		req, _ := http.NewRequest(http.MethodGet, httpsURL, nil)
		if user != "" {
			req.SetBasicAuth(user, password)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", httpsURL, err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := get("", ""); code != http.StatusUnauthorized {
		t.Errorf("a scrape without credentials answered %d, want 401", code)
	}
	if code := get("prom", "wrong"); code != http.StatusUnauthorized {
		t.Errorf("a scrape with a wrong password answered %d, want 401", code)
	}
	if code := get("prom", "scrape-secret"); code != http.StatusOK {
		t.Errorf("a scrape with the right password answered %d, want 200", code)
	}
	if resp, err := http.Get(r.url + "/metrics"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Error("plain HTTP was served although the web configuration asks for TLS")
		}
	}
	if strings.Contains(r.log.String(), "scrape-secret") {
		t.Error("the log holds the scrape password")
	}
}

func TestABadWebConfigStopsTheStart(t *testing.T) {
	f := newFleet(t)
	f.save()
	missing := filepath.Join(t.TempDir(), "web.yml")
	r := f.start(Options{Interval: time.Hour, WebConfigFile: missing})
	if code := r.stop(); code != exitFailed || !strings.Contains(r.log.String(), missing) {
		t.Errorf("serve with a missing web configuration exited %d, want 1 naming the file; log:\n%s", code, r.log.String())
	}
}
