package com.example.pricing;

import javax.script.Bindings;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class CodeInjection02 {
    private static final String TAX_SCRIPT = "amount * 1.2";
    private final ScriptEngineManager manager = new ScriptEngineManager();

    @GetMapping("/tax")
    public String tax(@RequestParam("amount") String amount) throws ScriptException {
        double value = Double.parseDouble(amount);
        ScriptEngine engine = manager.getEngineByName("javascript");
        Bindings bindings = engine.createBindings();
        bindings.put("amount", value);
        return String.valueOf(engine.eval(TAX_SCRIPT, bindings));
    }
}
