package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/gin-gonic/gin"
)

const uploadRoot = "/srv/uploads"

func safeUploadPath(name string) (string, bool) {
	candidate := filepath.Join(uploadRoot, filepath.Base(name))
	return candidate, strings.HasPrefix(candidate, uploadRoot+string(os.PathSeparator))
}

func main() {
	router := gin.Default()
	router.GET("/uploads/:name", func(c *gin.Context) {
		path, ok := safeUploadPath(c.Param("name"))
		if !ok {
			c.JSON(http.StatusBadRequest, gin.H{"error": "invalid name"})
			return
		}
		data, err := os.ReadFile(path)
		if err != nil {
			c.Status(http.StatusNotFound)
			return
		}
		c.Data(http.StatusOK, "application/octet-stream", data)
	})
	_ = router.Run(":8080")
}
