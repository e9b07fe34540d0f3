package main

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func main() {
	router := gin.Default()
	router.GET("/logout", func(c *gin.Context) {
		returnTo := c.Query("return_to")
		targets := []string{}
		targets = append(targets, returnTo)
		c.Header("Cache-Control", "no-store")
		c.Redirect(http.StatusFound, targets[0])
	})
	router.GET("/", func(c *gin.Context) {
		c.String(http.StatusOK, "home")
	})
	router.GET("/health", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"ok": true})
	})
	_ = router.Run(":8080")
}
