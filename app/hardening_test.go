package app

import (
	"context"
	"strings"
	"testing"
)

func TestServiceDeleteRefusesARootURLThatIsNotOne(t *testing.T) {
	srv := emulator(t)
	svc, _ := newTestService(t, "admin", basicInstance("prod", "Prod", srv))
	_, err := svc.Delete(context.Background(), "prod", "https://admin:pw@grafana.example/")
	if err == nil || !strings.Contains(err.Error(), "root URL") || strings.Contains(err.Error(), "pw@") {
		t.Errorf("err = %v; want a refusal about the root URL that does not quote it", err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests reached Grafana", n)
	}
}
