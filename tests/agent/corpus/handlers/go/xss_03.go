package main

import (
	"html/template"
	"log"

	"github.com/gin-gonic/gin"
)

var commentPage = template.Must(template.New("comment").Parse(
	`<html><body><div class="comment">{{.Comment}}</div></body></html>`))

type commentView struct {
	Author  string
	Comment template.HTML
}

func main() {
	router := gin.Default()
	router.POST("/comments/preview", func(c *gin.Context) {
		view := commentView{
			Author:  "anonymous",
			Comment: template.HTML(c.PostForm("comment")),
		}
		c.Header("Content-Type", "text/html; charset=utf-8")
		if err := commentPage.Execute(c.Writer, view); err != nil {
			log.Printf("render comment: %v", err)
		}
	})
	_ = router.Run(":8080")
}
