package main

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

var httpClient = &http.Client{Timeout: 5 * time.Second}

type webhook struct {
	target string
}

func main() {
	router := gin.Default()
	router.POST("/webhooks/test", func(c *gin.Context) {
		hook := c.PostForm("callback")
		wh := webhook{target: hook}
		request, err := http.NewRequest(http.MethodPost, wh.target, strings.NewReader(`{"ping":true}`))
		if err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": "bad callback"})
			return
		}
		resp, err := httpClient.Do(request)
		if err != nil {
			c.JSON(http.StatusBadGateway, gin.H{"error": "callback unreachable"})
			return
		}
		defer resp.Body.Close()
		c.JSON(http.StatusOK, gin.H{"status": resp.StatusCode})
	})
	_ = router.Run(":8080")
}
