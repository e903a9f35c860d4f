#!/usr/bin/env perl
# OAI-PMH data provider: Dancer::Plugin::Catmandu::OAI over the SQLite store in catmandu.yml
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Dancer;
use Catmandu;
use Dancer::Plugin::Catmandu::OAI;

chdir $FindBin::Bin or die "chdir $FindBin::Bin: $!";    # paths in catmandu.yml are relative
Catmandu->load($FindBin::Bin);

set server => $ENV{OAI_PEER_HOST} || '127.0.0.1';
set port   => $ENV{OAI_PEER_PORT} || 8089;

oai_provider '/oai',
    deleted       => sub { $_[0]->{deleted} ? 1 : 0 },
    set_specs_for => sub { defined $_[0]->{setSpec} ? [$_[0]->{setSpec}] : [] };

dance;
