/**
 * The events of the contact lifecycle: immutable, past-tense facts. Once stored, an event's shape only
 * evolves through a new {@code @Revision} and an upcaster from the old one.
 */
package com.salespipeline.events;
