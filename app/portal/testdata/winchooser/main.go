// winchooser shows the Windows file dialogs of package portal, for the test
// that runs it under Wine (portal_wine_test.go): it asks as its flags say
// and prints "chose <path>", "cancelled" or "error: <why>".
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/licensedesk/licensedesk/app/portal"
)

func main() {
	save := flag.Bool("save", false, "ask where to save, not what to open")
	var r portal.Request
	flag.StringVar(&r.Title, "title", "", "the dialog's title")
	flag.StringVar(&r.Folder, "folder", "", "the folder to start in")
	flag.StringVar(&r.Name, "name", "", "the file name suggested")
	flag.StringVar(&r.FilterName, "filter", "", "the filter's name")
	exts := flag.String("ext", "", "extensions offered, comma-separated")
	flag.Parse()
	if *exts != "" {
		r.Extensions = strings.Split(*exts, ",")
	}
	ask := portal.OpenFile
	if *save {
		ask = portal.SaveFile
	}
	path, err := ask(context.Background(), r)
	switch {
	case err != nil:
		fmt.Println("error:", err)
		os.Exit(1)
	case path == "":
		fmt.Println("cancelled")
	default:
		fmt.Println("chose", path)
	}
}
