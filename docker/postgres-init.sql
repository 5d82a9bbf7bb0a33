-- One server, two databases: each side owns its own (the query side never reads the command side's).
CREATE DATABASE command;
CREATE DATABASE query;
