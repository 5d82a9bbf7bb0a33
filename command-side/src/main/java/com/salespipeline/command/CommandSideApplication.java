package com.salespipeline.command;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The command side as its own service (distributed mode): commands in, events stored and published. */
@SpringBootApplication(scanBasePackages = {"com.salespipeline.command", "com.salespipeline.common"})
public class CommandSideApplication {

    public static void main(String[] args) {
        SpringApplication.run(CommandSideApplication.class, args);
    }
}
