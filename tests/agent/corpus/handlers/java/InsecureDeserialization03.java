package com.example.wizard;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.Base64;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class InsecureDeserialization03 {

    private Serializable decode(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream objectInput = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (Serializable) objectInput.readObject();
        }
    }

    @PostMapping("/wizard/resume")
    public String resume(
            @RequestParam("state") String encodedState) throws IOException, ClassNotFoundException {
        byte[] raw = Base64.getDecoder().decode(encodedState);
        Serializable state = decode(raw);
        return "resumed " + state.getClass().getSimpleName();
    }
}
