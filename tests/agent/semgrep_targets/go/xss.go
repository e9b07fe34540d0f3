// Test target for xss.yaml.
package main

import (
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/labstack/echo/v4"
)

var greeting = template.Must(template.New("greeting").Parse("<h1>Hello {{.}}</h1>"))

func helloHandler(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	// ruleid: bastion.go.xss
	fmt.Fprintf(w, "<h1>Hello %s</h1>", name)
	// ruleid: bastion.go.xss
	w.Write([]byte("<p>" + r.FormValue("comment") + "</p>"))
	// ruleid: bastion.go.xss
	io.WriteString(w, r.Header.Get("Referer"))
	// ok: bastion.go.xss
	fmt.Fprintf(w, "<h1>Hello %s</h1>", html.EscapeString(name))
	// ok: bastion.go.xss
	greeting.Execute(w, name)
	// ok: bastion.go.xss
	fmt.Fprint(w, "<p>Welcome</p>")
}

func bioHandler(w http.ResponseWriter, r *http.Request) {
	bio := r.FormValue("bio")
	// ruleid: bastion.go.xss
	greeting.Execute(w, template.HTML(bio))
	// ok: bastion.go.xss
	greeting.Execute(w, template.HTML("<b>fixed</b>"))
}

func jsonHandler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	// ok: bastion.go.xss
	fmt.Fprintf(w, `{"name": %q}`, r.FormValue("name"))
}

func ginHandler(c *gin.Context) {
	// ruleid: bastion.go.xss
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte("<p>"+c.Query("q")+"</p>"))
	// ok: bastion.go.xss
	c.String(http.StatusOK, "you searched for %s", c.Query("q"))
}

func echoHandler(c echo.Context) error {
	// ruleid: bastion.go.xss
	return c.HTML(http.StatusOK, "<p>"+c.QueryParam("q")+"</p>")
}

func render(w io.Writer, title string) {
	// ok: bastion.go.xss
	fmt.Fprintf(w, "<h1>%s</h1>", title)
}

type comment struct {
	Author string `json:"author"`
	Text   string `json:"text"`
}

func sourcesHandler(w http.ResponseWriter, r *http.Request) {
	// ruleid: bastion.go.xss
	fmt.Fprint(w, r.PostFormValue("title"))
	r.ParseForm()
	// ruleid: bastion.go.xss
	fmt.Fprint(w, r.Form.Get("title"))
	// ruleid: bastion.go.xss
	fmt.Fprint(w, r.PostForm["title"][0])
	// ruleid: bastion.go.xss
	fmt.Fprintln(w, "<p>", r.URL.Path, "</p>")
	// ruleid: bastion.go.xss
	fmt.Fprintf(w, "<p>%s</p>", r.URL.RawQuery)
	body, _ := io.ReadAll(r.Body)
	// ruleid: bastion.go.xss
	w.Write(body)
	var unmarshalled comment
	json.Unmarshal(body, &unmarshalled)
	// ruleid: bastion.go.xss
	fmt.Fprintf(w, "<p>%s</p>", unmarshalled.Author)
	var constant comment
	json.Unmarshal([]byte(`{"author": "admin"}`), &constant)
	// ok: bastion.go.xss
	fmt.Fprintf(w, "<p>%s</p>", constant.Author)
	var posted comment
	json.NewDecoder(r.Body).Decode(&posted)
	// ruleid: bastion.go.xss
	fmt.Fprintf(w, "<p>%s</p>", posted.Text)
	// ok: bastion.go.xss
	fmt.Fprintf(w, "<p>%s</p>", r.Method)
	// ok: bastion.go.xss
	fmt.Fprintf(w, "<p>%d</p>", len(r.FormValue("title")))
}

func ginSourcesHandler(c *gin.Context) {
	var posted comment
	if err := c.ShouldBindJSON(&posted); err != nil {
		return
	}
	// ruleid: bastion.go.xss
	c.Writer.WriteString("<p>" + posted.Author + "</p>")
	// ruleid: bastion.go.xss
	c.Writer.WriteString(c.DefaultQuery("q", "none"))
	// ruleid: bastion.go.xss
	c.Writer.WriteString(c.PostForm("text") + c.GetHeader("X-Name"))
	cookie, _ := c.Cookie("theme")
	// ruleid: bastion.go.xss
	c.Writer.WriteString(cookie)
	// ok: bastion.go.xss
	c.Writer.WriteString("<p>fixed</p>")
}

func echoSourcesHandler(c echo.Context) error {
	// ruleid: bastion.go.xss
	return c.HTML(http.StatusOK, c.Param("id")+c.FormValue("name"))
}
