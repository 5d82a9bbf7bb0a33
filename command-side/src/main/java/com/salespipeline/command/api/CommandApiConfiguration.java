package com.salespipeline.command.api;

import com.salespipeline.command.pipeline.GroupCommitter;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The HTTP side of sending commands. */
@Configuration(proxyBeanMethods = false)
class CommandApiConfiguration {

    @Bean
    CommandSender commandSender(GroupCommitter committer,
                                @Value("${pipeline.commands.answer-timeout:30s}") Duration timeout) {
        return new CommandSender(committer, timeout);
    }
}
