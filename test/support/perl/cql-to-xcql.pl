#!/usr/bin/perl
# Reads CQL queries, one JSON string per line, and writes for each one JSON line:
# {"ok":1,"xcql":"…"} as Debian's CQL::Parser (libcql-parser-perl) parses it, or {"ok":0,"code":N}
# with the SRU diagnostic its parseSafe gives. Used by test/cql-parser-differential.test.ts.
use strict;
use warnings;
use JSON::PP;
use CQL::Parser;

my $json = JSON::PP->new->utf8->canonical;
my $parser = CQL::Parser->new;
binmode STDIN;
binmode STDOUT;
$| = 1;
while (my $line = <STDIN>) {
    chomp $line;
    my $query = $json->decode($line);
    my $root = eval { $parser->parse($query) };
    if ($@ || !$root) {
        my $code = $parser->parseSafe($query);
        print $json->encode({ ok => 0, code => (ref $code ? 0 : $code + 0) }), "\n";
    } else {
        print $json->encode({ ok => 1, xcql => $root->toXCQL(0) }), "\n";
    }
}
