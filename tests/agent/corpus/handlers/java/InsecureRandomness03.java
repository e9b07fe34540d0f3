package com.example.tips;

import java.util.List;
import java.util.Random;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class InsecureRandomness03 {
    private static final List<String> TIPS = List.of(
            "Use keyboard shortcuts to move faster.",
            "Pin the projects you visit most.",
            "Export reports as CSV from the toolbar.");
    private final Random random = new Random();

    @GetMapping("/tips/today")
    public String tipOfTheDay() {
        int index = random.nextInt(TIPS.size());
        return TIPS.get(index);
    }

    @GetMapping("/tips")
    public List<String> allTips() {
        return TIPS;
    }
}
