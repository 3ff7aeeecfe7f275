#! /bin/sh

### BEGIN INIT INFO
# Provides:		mountall
# Required-Start:	
# Required-Stop:	
# Default-Start:	S
# Default-Stop:		
# Short-Description:	Mount all filesystems.
### END INIT INFO

set -e
. /lib/lsb/init-functions

case "$1" in
  start|stop|reload|force-reload|restart|try-restart|status) : ;;
  *) echo "Usage: /etc/init.d/mountall {start|stop|reload|force-reload|restart|try-restart|status}" || true; exit 1 ;;
esac
exit 0
