package OAIPeer::SearchableBag;

# Makes a Catmandu::Store::DBI (SQLite) bag CQL-searchable, which is all that
# Dancer::Plugin::Catmandu::OAI needs from its store. Supported CQL: boolean
# and/or/not of "<index> <rel> <term>" where <index> is a key of the bag's
# column mapping (_id, datestamp, setSpec, deleted) and <rel> is one of
# = == exact < <= > >= <>, plus cql.allRecords. Paging is SQL LIMIT/OFFSET,
# ordered by datestamp then _id unless sru_sortkeys says otherwise.

use Catmandu::Sane;
use Moo;
use CQL::Parser;
use Catmandu::Hits;
use namespace::clean;

extends 'Catmandu::Store::DBI::Bag';

my %REL = ('=' => '=', '==' => '=', 'exact' => '=', '<' => '<',
    '<=' => '<=', '>' => '>', '>=' => '>=', '<>' => '<>');

sub _col {
    my ($self, $index) = @_;
    my $map = $self->mapping->{$index}
        or Catmandu::BadArg->throw("unsupported CQL index '$index'");
    $self->store->dbh->quote_identifier($map->{column});
}

sub _sql {
    my ($self, $node, $bind) = @_;
    if ($node->isa('CQL::TermNode')) {
        my ($index, $term) = ($node->getQualifier, $node->getTerm);
        return '1=1' if lc($term) eq 'cql.allrecords' || lc($index) eq 'cql.allrecords';
        my $op = $REL{$node->getRelation->getBase}
            or Catmandu::BadArg->throw('unsupported CQL relation');
        push @$bind, $term;
        return $self->_col($index) . " $op ?";
    }
    my $l = $self->_sql($node->left,  $bind);
    my $r = $self->_sql($node->right, $bind);
    return "($l AND $r)"     if $node->isa('CQL::AndNode');
    return "($l OR $r)"      if $node->isa('CQL::OrNode');
    return "($l AND NOT $r)" if $node->isa('CQL::NotNode');
    Catmandu::BadArg->throw('unsupported CQL node ' . ref $node);
}

sub translate_cql_query {
    my ($self, $cql) = @_;
    my @bind;
    my $where = $self->_sql(CQL::Parser->new->parse($cql), \@bind);
    [$where, @bind];
}

sub translate_sru_sortkeys {    # "datestamp,,1 _id,,0" (1 = ascending)
    my ($self, $keys) = @_;
    [map {
        my ($index, undef, $asc) = split /,/, $_;
        $self->_col($index) . ((defined $asc && $asc eq '0') ? ' DESC' : ' ASC')
    } split ' ', $keys];
}

sub _query {
    my ($self, %args) = @_;
    my ($where, @bind) = @{$args{query} || ['1=1']};
    my $dbh   = $self->store_with_table->dbh;
    my $table = $dbh->quote_identifier($self->name);
    my @order = @{$args{sort} || []};
    @order = map {$self->_col($_) . ' ASC'} grep {$self->mapping->{$_}} qw(datestamp _id)
        unless @order;
    my ($total) = $dbh->selectrow_array(
        "SELECT COUNT(*) FROM $table WHERE $where", undef, @bind);
    my $rows = $dbh->selectall_arrayref(
        "SELECT * FROM $table WHERE $where ORDER BY "
            . join(', ', @order) . ' LIMIT ? OFFSET ?',
        {Slice => {}}, @bind, $args{limit}, $args{start});
    Catmandu::Hits->new(
        start => $args{start},
        limit => $args{limit},
        total => $total,
        hits  => [map {$self->_row_to_data($_)} @$rows],
    );
}

sub search   { my ($self, %args) = @_; $self->_query(%args) }
sub searcher { my ($self, %args) = @_; $self->_query(%args) }

sub delete_by_query {
    my ($self, %args) = @_;
    my ($where, @bind) = @{$args{query} || ['1=1']};
    my $dbh = $self->store_with_table->dbh;
    $dbh->do('DELETE FROM ' . $dbh->quote_identifier($self->name) . " WHERE $where", undef, @bind);
}

with 'Catmandu::CQLSearchable';

1;
