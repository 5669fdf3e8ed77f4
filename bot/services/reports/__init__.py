"""Reports for funders and admins: figures, files, audit views."""
