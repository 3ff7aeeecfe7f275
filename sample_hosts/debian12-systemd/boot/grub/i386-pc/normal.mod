placeholder for GRUB i386-pc normal.mod (cockpit sample tree)
