"""The National Public Service Portal (Cổng Dịch vụ công quốc gia) through its integration adapter."""
