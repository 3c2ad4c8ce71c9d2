print("passerelle")
