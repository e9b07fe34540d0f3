package feeds

import (
	"encoding/xml"
	"net/http"
	"time"
)

type rss struct {
	Channel struct {
		Title string `xml:"title"`
		Items []struct {
			Title string `xml:"title"`
			Link  string `xml:"link"`
		} `xml:"item"`
	} `xml:"channel"`
}

var client = &http.Client{Timeout: 10 * time.Second}

func fetchFeed(feedURL string) (*rss, error) {
	resp, err := client.Get(feedURL)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var doc rss
	if err := xml.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

func HandlePreview(w http.ResponseWriter, r *http.Request) {
	doc, err := fetchFeed(r.FormValue("url"))
	if err != nil {
		http.Error(w, "could not read feed", http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	for _, item := range doc.Channel.Items {
		_, _ = w.Write([]byte(item.Title + "\n"))
	}
}
