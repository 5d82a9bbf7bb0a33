package com.salespipeline.query.replay;

/** The history to replay from cannot be read now (the Kafka cluster not answering): no replay starts. */
class HistoryUnavailable extends RuntimeException {

    HistoryUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
