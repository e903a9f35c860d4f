#!/usr/bin/perl
# Koha's copy-cataloguing client path (C4::Breeding::Z3950Search): a ZOOM connection with Koha's
# options (elementSetName F, preferredRecordSyntax USMARC), a CQL search over SRU or a PQF search
# over Z39.50, then each record read as Koha reads it — MARC::Record->new_from_xml for SRU,
# MARC::Record->new_from_usmarc for Z39.50. Prints one JSON line: the hit count and, per record,
# 001, 245$a and the 852 holdings. Usage: koha-zoom.pl sru-soap|sru-get|z3950 TARGET QUERY
use strict;
use warnings;
use ZOOM;
use MARC::Record;
use MARC::File::XML (BinaryEncoding => 'utf8', RecordFormat => 'USMARC');
use JSON::PP;

my ($mode, $target, $query) = @ARGV;
my $options = ZOOM::Options->new();
$options->option(elementSetName => 'F');
$options->option(preferredRecordSyntax => 'USMARC');
$options->option(sru => 'get') if $mode eq 'sru-get';
my $conn = ZOOM::Connection->create($options);
my $out = eval {
    $conn->connect($target);
    my $rs = $mode eq 'z3950' ? $conn->search_pqf($query) : $conn->search(ZOOM::Query::CQL->new($query));
    my $size = $rs->size();
    my @records;
    for my $i (0 .. ($size < 20 ? $size : 20) - 1) {
        my $raw = $rs->record($i)->raw();
        my $marc = $mode eq 'z3950' ? MARC::Record->new_from_usmarc($raw) : MARC::Record->new_from_xml($raw, 'UTF-8', 'MARC21');
        my $f001 = $marc->field('001');
        push @records, {
            id       => $f001 ? $f001->data : undef,
            title    => scalar $marc->subfield('245', 'a'),
            leader09 => substr($marc->leader, 9, 1),
            holdings => [ map { { a => scalar $_->subfield('a'), b => scalar $_->subfield('b'), h => scalar $_->subfield('h'), p => scalar $_->subfield('p'), r => scalar $_->subfield('r'), z => scalar $_->subfield('z') } } $marc->field('852') ],
        };
    }
    { size => $size, records => \@records };
};
if ($@) {
    my $e = $@;
    $out = { error => ref $e && $e->isa('ZOOM::Exception') ? $e->code . ' ' . $e->message . ' ' . ($e->addinfo // '') : "$e" };
}
$conn->destroy();
print JSON::PP->new->utf8->canonical->encode($out), "\n";
