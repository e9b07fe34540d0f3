// Test target for xss.yaml: a template package without HTML escaping.
package main

import (
	"net/http"
	"os"
	"text/template"
)

var page = template.Must(template.New("page").Parse("<h1>Hello {{.}}</h1>"))

func textTemplateHandler(w http.ResponseWriter, r *http.Request) {
	// ruleid: bastion.go.xss.text-template
	page.Execute(w, r.FormValue("name"))
}

func writeReport(name string) error {
	// ok: bastion.go.xss.text-template
	return page.Execute(os.Stdout, name)
}
