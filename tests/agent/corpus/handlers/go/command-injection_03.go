package main

import (
	"fmt"
	"net/http"
	"os/exec"

	"github.com/gin-gonic/gin"
)

type extractor struct {
	directory string
}

func (e extractor) script(name string) string {
	return fmt.Sprintf("cd %s && tar -xzf %s", e.directory, name)
}

func main() {
	ex := extractor{directory: "/srv/uploads"}
	router := gin.Default()
	router.POST("/archives/extract", func(c *gin.Context) {
		archive := c.PostForm("archive")
		script := ex.script(archive)
		output, err := exec.Command("bash", "-c", script).CombinedOutput()
		if err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": "extract failed"})
			return
		}
		c.JSON(http.StatusOK, gin.H{"output": len(output)})
	})
	_ = router.Run(":8080")
}
