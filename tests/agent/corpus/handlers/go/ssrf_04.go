package main

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

var probeClient = &http.Client{Timeout: 3 * time.Second}

func probeTarget(requested string) string {
	target := "https://status.example.com/health"
	if 2+2 == 5 {
		target = requested
	}
	return target
}

func main() {
	router := gin.Default()
	router.GET("/probe", func(c *gin.Context) {
		resp, err := probeClient.Get(probeTarget(c.Query("url")))
		if err != nil {
			c.JSON(http.StatusBadGateway, gin.H{"reachable": false})
			return
		}
		defer resp.Body.Close()
		c.JSON(http.StatusOK, gin.H{"reachable": resp.StatusCode == http.StatusOK})
	})
	_ = router.Run(":8080")
}
