package com.salespipeline.command.pipeline;

import java.util.Optional;

/**
 * Which failures of a command are its answer, to be given again to a retry with the same Idempotency-Key: the
 * contact's refusals are; a failure of the store or a concurrent change is not, and a retry runs the command again.
 */
@FunctionalInterface
public interface RefusalAnswers {

    /** The refusal as the caller was answered, or empty when a retry should run the command again. */
    Optional<RecordedRefusal> answerTo(RuntimeException failure);
}
