package com.salespipeline.command.contact;

import com.salespipeline.command.contact.Commands.CaptureLead;
import com.salespipeline.events.Stage;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Repository;

/**
 * Creates contacts. Uniqueness of email and id spans all contacts, so it is checked here, before the
 * aggregate is created, rather than inside one aggregate.
 */
public class CaptureLeadHandler {

    private final Repository<Contact> contacts;
    private final ContactRegistry registry;
    private final BusinessTime time;

    public CaptureLeadHandler(Repository<Contact> contacts, ContactRegistry registry, BusinessTime time) {
        this.contacts = contacts;
        this.registry = registry;
        this.time = time;
    }

    @CommandHandler
    public CommandOutcome handle(CaptureLead command) throws Exception {
        registry.findByEmail(command.email()).ifPresent(existing -> {
            throw DuplicateContact.email(existing);
        });
        if (registry.exists(command.contactId())) {
            throw DuplicateContact.id(command.contactId());
        }
        contacts.newInstance(() -> new Contact(command, time));
        registry.register(command.contactId(), command.email());
        return new CommandOutcome(command.contactId(), Stage.LEAD, 0, null);
    }
}
