package com.example.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class InsecureDeserialization02 {
    private final ObjectMapper objectMapper = new ObjectMapper();

    public static class CartSnapshot {
        public String cartId;
        public int itemCount;
    }

    @PostMapping("/carts/restore")
    public String restore(@RequestBody String body) throws IOException {
        CartSnapshot snapshot = objectMapper.readValue(body, CartSnapshot.class);
        return "restored " + snapshot.itemCount + " items";
    }

    @PostMapping("/carts/ping")
    public String ping() {
        return "ok";
    }
}
