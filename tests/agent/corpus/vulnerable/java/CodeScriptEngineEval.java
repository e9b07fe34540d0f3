package com.acme.pricing.web;

import java.util.Map;
import javax.script.Bindings;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class CodeScriptEngineEval {

    public record DiscountPreview(String rule, Map<String, Object> order) {}

    private final ScriptEngineManager manager = new ScriptEngineManager();

    @PostMapping("/pricing/discount-preview")
    public ResponseEntity<Double> preview(@RequestBody DiscountPreview preview) {
        ScriptEngine engine = manager.getEngineByName("javascript");
        Bindings bindings = engine.createBindings();
        bindings.putAll(preview.order());
        try {
            Object result = engine.eval(preview.rule(), bindings);
            double discount = result instanceof Number number ? number.doubleValue() : 0.0;
            return ResponseEntity.ok(discount);
        } catch (ScriptException e) {
            return ResponseEntity.badRequest().build();
        }
    }
}
