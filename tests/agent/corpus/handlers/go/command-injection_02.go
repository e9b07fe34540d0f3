package main

import (
	"net/http"
	"os"
	"os/exec"

	"github.com/gin-gonic/gin"
)

func main() {
	repository := os.Getenv("REPOSITORY_PATH")
	router := gin.Default()
	router.GET("/git/history", func(c *gin.Context) {
		filePath := c.Query("path")
		cmd := exec.Command("git", "-C", repository, "log", "--oneline", "-n", "20", "--", filePath)
		out, err := cmd.Output()
		if err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": "git log failed"})
			return
		}
		c.JSON(http.StatusOK, gin.H{"log": string(out)})
	})
	router.GET("/health", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"ok": true})
	})
	_ = router.Run(":8080")
}
