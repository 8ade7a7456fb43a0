package config

import (
	"errors"
	"strings"
	"testing"
)

func TestAStoreWithADuplicateIDIsRefusedWholeAndNeverWritten(t *testing.T) {
	s := tempStore(t)
	content := `{"version":1,"instances":[
		{"id":"prod","name":"Prod EU","url":"https://eu.example.com/","auth":"basic","username":"admin"},
		{"id":"lab","name":"Lab","url":"https://lab.example.com/","auth":"basic","username":"admin"},
		{"id":"prod","name":"Prod US","url":"https://us.example.com/?token=s3cr3t","auth":"basic","username":"admin"}]}`
	writeFile(t, s.Path(), content)

	list, err := s.Load()
	var dup *DuplicateIDError
	if !errors.As(err, &dup) || len(list) != 0 {
		t.Fatalf("Load = %d instances, %v; want none and a *DuplicateIDError", len(list), err)
	}
	msg := err.Error()
	for _, want := range []string{`"prod"`, `entry 1 ("Prod EU" at https://eu.example.com/)`, `entry 3 ("Prod US" at https://us.example.com/)`} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message lacks %s: %s", want, msg)
		}
	}
	if strings.Contains(msg, "s3cr3t") {
		t.Errorf("the message echoes a URL's query: %s", msg)
	}
	err = s.Update(func(l []Instance) ([]Instance, error) { return l, nil })
	if !errors.As(err, &dup) || readFile(t, s.Path()) != content {
		t.Errorf("Update = %v and the file changed; want the refusal and the file untouched", err)
	}
	twice := []Instance{
		{ID: "a", Name: "A", URL: "https://a.example.com/", Auth: AuthBearer},
		{ID: "a", Name: "B", URL: "https://b.example.com/", Auth: AuthBearer},
	}
	if err := s.Save(twice); err == nil {
		t.Error("Save wrote a list with one id twice")
	}
	if readFile(t, s.Path()) != content {
		t.Error("the file changed")
	}
}
