package main

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

func isLocalPath(target string) bool {
	return strings.HasPrefix(target, "/") && !strings.HasPrefix(target, "//") && !strings.Contains(target, "\\")
}

func main() {
	router := gin.Default()
	router.GET("/continue", func(c *gin.Context) {
		next := c.Query("next")
		if !isLocalPath(next) {
			c.String(http.StatusBadRequest, "invalid redirect")
			return
		}
		c.Redirect(http.StatusFound, next)
	})
	router.GET("/health", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"ok": true})
	})
	_ = router.Run(":8080")
}
