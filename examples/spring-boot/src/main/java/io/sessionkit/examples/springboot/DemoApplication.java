package io.sessionkit.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application whose sessions SessionKit keeps: add the starter and a backend, set
 * {@code sessionkit.type} (or {@code SESSION_TYPE}), and {@code request.getSession()}, Spring
 * Security's login and its CSRF token all live in the store.
 */
@SpringBootApplication
public class DemoApplication {

    /**
     * @param args Spring Boot's command line, such as {@code --sessionkit.type=redis}
     */
    public static void main(String[] args) {
        SpringApplication.run(DemoApplication.class, args);
    }
}
