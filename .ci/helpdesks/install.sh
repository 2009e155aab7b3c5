#!/bin/sh
# Install and configure Request Tracker 5 and Redmine (SQLite) for Flare's integration tests.
# Idempotent: run it again and it only fixes what is missing. Needs root and the Debian
# package registry; binds nothing itself (tests/integration/helpdesk_servers.py starts the
# servers on 127.0.0.1). Credentials go to $FLARE_HELPDESK_ENV (default below), which the
# tests read.
set -eu

STATE_DIR="${FLARE_TEST_STATE:-/var/lib/flare-test}"
ENV_FILE="$STATE_DIR/helpdesks.env"
RT_PASSWORD="password"
export DEBIAN_FRONTEND=noninteractive

if [ "$(id -u)" != "0" ]; then
    echo "install.sh: run as root (it installs Debian packages)" >&2
    exit 1
fi
mkdir -p "$STATE_DIR"

debconf-set-selections <<SEL
request-tracker5 request-tracker5/dbconfig-install boolean true
request-tracker5 request-tracker5/database-type select sqlite3
request-tracker5 request-tracker5/rtname string rt.test
request-tracker5 request-tracker5/organization string rt.test
request-tracker5 request-tracker5/correspondaddress string rt@localhost
request-tracker5 request-tracker5/commentaddress string rt-comment@localhost
request-tracker5 request-tracker5/webbaseurl string http://127.0.0.1:8080
request-tracker5 request-tracker5/initial-root-password password $RT_PASSWORD
request-tracker5 request-tracker5/install-cronjobs boolean false
redmine redmine/instances/default/dbconfig-install boolean true
redmine redmine/instances/default/database-type select sqlite3
SEL

need=""
for p in request-tracker5 rt5-db-sqlite rt5-standalone dbconfig-sqlite3 msmtp-mta \
         redmine redmine-sqlite puma libjson-perl; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need="$need $p"
done
if [ -n "$need" ]; then
    apt-cache show request-tracker5 redmine >/dev/null 2>&1 || apt-get -o DPkg::Lock::Timeout=600 update -q
    # The packages' postinst scripts print every database migration (hundreds of lines): keep
    # them in a log and show its end only when the install fails.
    log="$STATE_DIR/apt-install.log"
    if ! apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends $need \
            >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        echo "install.sh: installing the helpdesk packages failed; the whole log is $log" >&2
        exit 1
    fi
fi

# ---------------------------------------------------------------- Request Tracker 5
cat > /etc/request-tracker5/RT_SiteConfig.d/99-flare-test.pm <<'PM'
# Written by Flare's .ci/helpdesks/install.sh: local test instance on 127.0.0.1.
Set($WebPath, "");
Set($WebDomain, "127.0.0.1");
Set($WebPort, 8080);
Set($WebBaseURL, "http://127.0.0.1:8080");
Set($MaxAttachmentSize, 64*1024*1024);
Set($LogToSTDERR, "warning");
Set($LogToSyslog, undef);
PM

# Requestors may see their own tickets; a Category custom field on General; a reporter user.
perl -I/usr/share/request-tracker5/lib -I/usr/share/request-tracker5/local/lib <<'PERL'
use strict; use warnings;
use lib '/etc/request-tracker5';
use RT; RT::LoadConfig(); RT::Init();
my $q = RT::Queue->new(RT->SystemUser); $q->Load('General') or die "no General queue";
for my $right (qw(ShowTicket SeeQueue ReplyToTicket CreateTicket)) {
    my $role = RT::Group->new(RT->SystemUser);
    $role->LoadRoleGroup(Object => $q, Name => 'Requestor');
    $role->PrincipalObj->GrantRight(Right => $right, Object => $q);
}
my $cf = RT::CustomField->new(RT->SystemUser);
$cf->LoadByName(Name => 'Category', LookupType => 'RT::Queue-RT::Ticket');
unless ($cf->id) {
    my ($ok, $msg) = $cf->Create(Name => 'Category', Type => 'FreeformSingle',
                                 LookupType => 'RT::Queue-RT::Ticket');
    die $msg unless $ok;
}
$cf->AddToObject($q) unless $cf->IsAdded($q->id);
for my $right (qw(SeeCustomField ModifyCustomField)) {
    my $everyone = RT::Group->new(RT->SystemUser); $everyone->LoadSystemInternalGroup('Privileged');
    $everyone->PrincipalObj->GrantRight(Right => $right, Object => $cf);
}
my $u = RT::User->new(RT->SystemUser);
$u->Load('reporter');
unless ($u->id) {
    my ($ok, $msg) = $u->Create(Name => 'reporter', EmailAddress => 'reporter@example.test',
                                RealName => 'Rita Reporter', Password => 'reporter-pass',
                                Privileged => 0);
    die $msg unless $ok;
}
print "RT configured\n";
PERL

# ---------------------------------------------------------------- Redmine
cd /usr/share/redmine
REDMINE_KEY=$(RAILS_ENV=production REDMINE_INSTANCE=default ruby bin/rails runner '
  if Tracker.count == 0
    Redmine::DefaultData::Loader.load("en")
  end
  Setting.rest_api_enabled = "1"
  Setting.attachment_max_size = "65536"
  admin = User.find_by_login("admin")
  admin.must_change_passwd = false
  admin.save!
  key = admin.api_key
  project = Project.find_by_identifier("flare") || Project.create!(name: "Flare test", identifier: "flare", is_public: true)
  project.trackers = Tracker.all if project.trackers.empty?
  project.enabled_module_names = (project.enabled_module_names | ["issue_tracking"])
  project.save!
  %w[hardware software network access other].each do |c|
    IssueCategory.find_or_create_by!(project: project, name: c.capitalize)
  end
  puts "KEY=#{key}"
' 2>/dev/null | sed -n 's/^KEY=//p')
if [ -z "$REDMINE_KEY" ]; then
    echo "install.sh: could not configure Redmine (bin/rails runner failed)" >&2
    exit 1
fi

cat > "$ENV_FILE" <<ENV
# Written by .ci/helpdesks/install.sh
RT_ROOT_USER=root
RT_ROOT_PASSWORD=$RT_PASSWORD
RT_REPORTER_USER=reporter
RT_REPORTER_PASSWORD=reporter-pass
RT_REPORTER_EMAIL=reporter@example.test
RT_SERVER=/usr/share/request-tracker5/libexec/rt-server
REDMINE_DIR=/usr/share/redmine
REDMINE_API_KEY=$REDMINE_KEY
REDMINE_PROJECT=flare
ENV
chmod 600 "$ENV_FILE"
echo "install.sh: Request Tracker 5 and Redmine ready; credentials in $ENV_FILE"
