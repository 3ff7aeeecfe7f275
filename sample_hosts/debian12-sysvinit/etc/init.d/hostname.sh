#! /bin/sh

### BEGIN INIT INFO
# Provides:		hostname
# Required-Start:	
# Required-Stop:	
# Default-Start:	S
# Default-Stop:		
# Short-Description:	Set hostname based on /etc/hostname
### END INIT INFO

set -e
. /lib/lsb/init-functions

case "$1" in
  start|stop|reload|force-reload|restart|try-restart|status) : ;;
  *) echo "Usage: /etc/init.d/hostname {start|stop|reload|force-reload|restart|try-restart|status}" || true; exit 1 ;;
esac
exit 0
