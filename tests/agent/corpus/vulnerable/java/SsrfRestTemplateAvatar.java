package com.acme.profile.web;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;

@RestController
public class SsrfRestTemplateAvatar {

    public record AvatarImport(long userId, String imageUrl) {}

    private final RestTemplate restTemplate;
    private final AvatarStore avatarStore;

    public SsrfRestTemplateAvatar(RestTemplate restTemplate, AvatarStore avatarStore) {
        this.restTemplate = restTemplate;
        this.avatarStore = avatarStore;
    }

    @PostMapping(path = "/profile/avatar/import", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Void> importAvatar(@RequestBody AvatarImport request) {
        byte[] image = restTemplate.getForObject(request.imageUrl(), byte[].class);
        if (image == null || image.length == 0) {
            return ResponseEntity.unprocessableEntity().build();
        }
        avatarStore.save(request.userId(), image);
        return ResponseEntity.noContent().build();
    }
}
