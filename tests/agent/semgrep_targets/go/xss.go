// Test target for xss.yaml.
package main

import (
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"io"
	"net/http"
)

var page = template.Must(template.New("page").Parse("<h1>Hello {{.}}</h1>"))

func helloHandler(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	// ruleid: bastion.go.xss.response-writer
	fmt.Fprintf(w, "<h1>Hello %s</h1>", name)
	// ruleid: bastion.go.xss.response-writer
	w.Write([]byte("<p>" + r.FormValue("q") + "</p>"))
	// ruleid: bastion.go.xss.response-writer
	io.WriteString(w, name)
	// ok: bastion.go.xss.response-writer
	fmt.Fprintf(w, "<h1>Hello %s</h1>", html.EscapeString(name))
	// ok: bastion.go.xss.response-writer
	page.Execute(w, name)
}

func textHandler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	// ok: bastion.go.xss.response-writer
	fmt.Fprintf(w, "Hello %s", r.FormValue("name"))
}

func jsonHandler(w http.ResponseWriter, r *http.Request) {
	body, _ := json.Marshal(map[string]string{"name": r.FormValue("name")})
	// ok: bastion.go.xss.response-writer
	w.Write(body)
}

type Profile struct {
	Bio template.HTML
}

func profileHandler(w http.ResponseWriter, r *http.Request) {
	// ruleid: bastion.go.xss.unescaped-template-type
	profile := Profile{Bio: template.HTML(r.FormValue("bio"))}
	// ok: bastion.go.xss.unescaped-template-type
	footer := template.HTML("<hr>")
	// ok: bastion.go.xss.unescaped-template-type
	escaped := template.HTML(html.EscapeString(r.FormValue("bio")))
	page.Execute(w, []any{profile, footer, escaped})
}
